/** The catalog loader: `manifests/catalog.yml` in, the domain's `Catalog` out, or every problem at once. */
export { CatalogError, loadCatalog, parseCatalog } from './load.js';
export { catalogSchema } from './schema.js';
