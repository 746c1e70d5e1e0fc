function compute() { return 42; }
const x =
  compute();
const arr = [1, 2].map((v) =>
  compute()
);
const obj = {
  a: 1,
  b: compute()
};
class K {
  render()
  {
    return compute();
  }
}
if (x)
  compute();
console.log(x, arr, obj, new K().render());
