/** "1 approval", "2 approvals": a count with its noun, as main and the renderer both write them. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
