/**
 * Whether plain data holds more than `max` values (scalars, lists and mappings, each counted
 * once). Checking costs time in proportion to the values, so the count is the engine's measure of
 * a document's bulk: it stops counting as soon as the limit is passed.
 */
export function exceedsValues(data: unknown, max: number): number | undefined {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (++count > max) return count;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) if (Object.hasOwn(value, key)) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/** Every value of plain data (scalars, lists and mappings, each counted once), as exceedsValues counts. */
export function countValues(data: unknown): number {
  let count = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    count++;
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key in value) if (Object.hasOwn(value, key)) stack.push((value as Record<string, unknown>)[key]);
    }
  }
  return count;
}

/**
 * A bound on a text's values before parsing it: every value after the first starts on a new line
 * or after a comma (flow lists and mappings), give or take the keys on the same line. Counting
 * costs one pass over the text, while parsing costs far more per value: a text past this bound is
 * refused unparsed, so no hostile text makes the parser run for minutes.
 */
export function roughValueCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  for (let at = text.indexOf(','); at >= 0; at = text.indexOf(',', at + 1)) count++;
  return count;
}
