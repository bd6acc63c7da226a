/**
 * GitHub's pagination: `per_page` (default 30, at most 100) and `page`, with a `Link` header naming the next, last,
 * first and previous pages by absolute URL, which Octokit's paginate follows.
 */
import type { WireRequest } from '../http-kit/server.js';

/** One page of `items` and the Link header for the rest. */
export function paged<T>(
  req: WireRequest,
  items: readonly T[],
): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Number.parseInt(req.query.get('per_page') ?? '30', 10) || 30));
  const page = Math.max(1, Number.parseInt(req.query.get('page') ?? '1', 10) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (n: number): string => {
    const query = new URLSearchParams(req.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `http://${req.headers.host ?? '127.0.0.1'}${req.path}?${query.toString()}`;
  };
  const links: string[] = [];
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`, `<${pageUrl(page - 1)}>; rel="prev"`);
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}
