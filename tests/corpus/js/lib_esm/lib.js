export function square(x) { return x * x; }
export class Point { constructor(x, y) { this.x = x; this.y = y; } length() { return Math.hypot(this.x, this.y); } }
