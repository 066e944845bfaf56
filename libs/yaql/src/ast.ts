// The tree `parse` produces. `pos` is the 0-based offset of the node's first token.

export type Node =
  | { type: 'constant'; value: string | number | boolean | null; float?: boolean; pos: number }
  /** A bare word: a string constant, a key after `.`, or a keyword argument's name before `=>`. */
  | { type: 'keyword'; name: string; pos: number }
  /** `$`, `$name`, `$1`: a context variable (`$` is `$1`). */
  | { type: 'variable'; name: string; pos: number }
  | { type: 'paren'; expr: Node; pos: number }
  | { type: 'list'; items: Arg[]; pos: number }
  | { type: 'map'; items: Arg[]; pos: number }
  | { type: 'index'; target: Node; args: Arg[]; pos: number }
  | { type: 'unary'; op: string; operand: Node; pos: number }
  | { type: 'binary'; op: string; left: Node; right: Node; pos: number }
  /** `name(args)`; as the right side of `.` or `?.` it is a method call on the left side. */
  | { type: 'call'; name: string; args: Arg[]; pos: number };

/** An argument: a value, `name => value` (a keyword argument or a mapping), or an empty slot (`f(, x)`). */
export type Arg = Node | { type: 'mapping'; key: Node; value: Node; pos: number } | { type: 'skip'; pos: number };

export type NodeType = Node['type'];
