class InsufficientFunds extends Error {}
class Account {
  static #nextId = 1;
  #balance = 0;
  constructor(owner) { this.id = Account.#nextId++; this.owner = owner; this.history = []; }
  deposit(amount) { this.#balance += amount; this.history.push(["deposit", amount]); return this; }
  withdraw(amount) {
    if (amount > this.#balance) throw new InsufficientFunds(`balance ${this.#balance} < ${amount}`);
    this.#balance -= amount; this.history.push(["withdraw", amount]); return this;
  }
  get balance() { return this.#balance; }
}
const acct = new Account("ann").deposit(100).withdraw(30);
console.log(acct.balance, acct);
try { acct.withdraw(1000); } catch (e) { console.log(e instanceof InsufficientFunds, e.name, e.message); }
console.log(new Account("bo").id);
