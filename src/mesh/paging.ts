import { HttpError } from './router.ts';

/**
 * `?page=&size=` as Sock Shop's services take them: pages count from 1; without `size`
 * the whole collection comes back.
 */
export function paging(query: URLSearchParams): { skip?: number; limit?: number; page: number; size: number | undefined } {
  const sizeText = query.get('size');
  const pageText = query.get('page');
  if (sizeText === null || sizeText === '') return { page: 1, size: undefined };
  const size = Number(sizeText);
  const page = pageText === null || pageText === '' ? 1 : Number(pageText);
  if (!Number.isInteger(size) || size < 1) throw new HttpError(400, `size must be a positive integer (got ${JSON.stringify(sizeText)})`);
  if (!Number.isInteger(page) || page < 1) throw new HttpError(400, `page must be a positive integer (got ${JSON.stringify(pageText)})`);
  return { skip: (page - 1) * size, limit: size, page, size };
}

/** Spring Data REST's page block, as Sock Shop's user service answers. */
export function pageBlock(page: number, size: number | undefined, total: number): { size: number; totalElements: number; totalPages: number; number: number } {
  const s = size ?? total;
  return { size: s, totalElements: total, totalPages: s === 0 ? 0 : Math.ceil(total / s), number: page };
}
