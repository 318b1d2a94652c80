/**
 * Moves one item of an ordered list up (-1) or down (+1) and answers the positions that change,
 * numbering the whole list 0, 1, 2… so that ties left by earlier edits are resolved too.
 */
export function reorder<T extends { id: string; position: number }>(items: T[], index: number, delta: -1 | 1): { id: string; position: number }[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [];
  const order = [...items];
  [order[index], order[target]] = [order[target], order[index]];
  return order.map((item, position) => ({ id: item.id, position })).filter((p, i) => order[i].position !== p.position);
}
