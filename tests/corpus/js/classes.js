class Shape {
  constructor(name) { this.name = name; }
  area() { return 0; }
  toString() { return `${this.name}(${this.area().toFixed(2)})`; }
}
class Circle extends Shape {
  #r;
  constructor(r) { super("circle"); this.#r = r; }
  area() { return Math.PI * this.#r ** 2; }
  static unit() { return new Circle(1); }
}
class Rect extends Shape {
  constructor(w, h) { super("rect"); Object.assign(this, { w, h }); }
  area() { return this.w * this.h; }
  get perimeter() { return 2 * (this.w + this.h); }
}
const shapes = [Circle.unit(), new Rect(3, 4), new Circle(2.5)];
console.log(shapes.map(String).join(", "));
console.log(shapes[1]);
console.log(new Rect(1, 2).perimeter, shapes[0] instanceof Shape);
console.log(Shape, Circle, [Shape]);
console.log(shapes.toSorted((a, b) => b.area() - a.area()).map((s) => s.name));
