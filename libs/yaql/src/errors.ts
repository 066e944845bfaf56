// Every failure of the YAQL library is a YaqlError, so a caller can tell a bad
// expression (its own user's mistake, reported with the expression) from a bug.

/** Base class: `expression` is the YAQL text being parsed or evaluated. */
export class YaqlError extends Error {
  expression = '';
  override name = 'YaqlError';
}

/** The text is not YAQL: lexical or grammar error at `position` (0-based offset), as yaql reports it. */
export class YaqlSyntaxError extends YaqlError {
  override name = 'YaqlSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

/**
 * Valid YAQL that this evaluator does not implement (a standard-library function, an operator or a
 * form it leaves out). It is refused rather than evaluated approximately, so it never gives a wrong answer.
 */
export class YaqlUnsupportedError extends YaqlError {
  override name = 'YaqlUnsupportedError';
  constructor(
    readonly construct: string,
    readonly position?: number,
  ) {
    super(`unsupported YAQL: ${construct}`);
  }
}

/**
 * Evaluation failed where yaql itself fails too (no function matches the arguments, a missing key,
 * an index out of range, a division by zero...). `kind` names the Python exception yaql raises.
 */
export class YaqlEvaluationError extends YaqlError {
  override name = 'YaqlEvaluationError';
  constructor(
    readonly kind: string,
    message: string,
    /** For kind `KeyError`: the key that is missing. */
    readonly key?: unknown,
  ) {
    super(message);
  }
}

/** The expression spent more than its budget of steps or memory. */
export class YaqlBudgetError extends YaqlError {
  override name = 'YaqlBudgetError';
}
