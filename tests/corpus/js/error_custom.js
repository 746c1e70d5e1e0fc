class ValidationError extends Error {
  constructor(field, options) { super(`invalid ${field}`, options); this.name = "ValidationError"; this.field = field; }
}
try { throw new ValidationError("email", { cause: new Error("missing @") }); }
catch (e) { console.log(e.name, e.message, e.field, e.cause.message, e instanceof ValidationError, e instanceof Error); }
const err = new Error("wrapped", { cause: "root" });
console.log(err.cause, Object.keys(err), `${err}`);
throw new ValidationError("name");
