/**
 * Composition root: configuration -> catalog -> adapters -> roles. The only module that knows every concrete class.
 */
import { loadCatalog } from './catalog/index.js';
import { ConfigError, describeConfig, loadConfig, secretsOf } from './config.js';
import { CatalogError } from './catalog/index.js';
import { createLogger } from './logger.js';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(
        `hotfix-bot cannot start: the configuration has problems:\n  ${error.problems.join('\n  ')}\n`,
      );
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) });
  try {
    const catalog = loadCatalog(config.catalog.path);
    logger.info(
      { services: Object.keys(catalog.services), clients: Object.keys(catalog.clients) },
      'catalog loaded',
    );
  } catch (error) {
    if (error instanceof CatalogError) {
      logger.fatal({ problems: error.problems }, 'the catalog has problems');
      process.exit(2);
    }
    throw error;
  }
  for (const line of describeConfig(config)) logger.info(line);
}

main();
