/**
 * What each of this project's handlers calls, keyed by the environment variable that names
 * its table (functions/products, functions/user-activity). A function this file does not
 * know is taken to need what its role grants on the table it names.
 */
export const TABLE_ENV_NEEDS: Readonly<Record<string, readonly string[]>> = {
  /** functions/products: PutCommand then GetCommand. */
  PRODUCTS_TABLE: ['dynamodb:PutItem', 'dynamodb:GetItem'],
  /** functions/user-activity: PutCommand of the activity item and its idempotency record; GetCommand of the record on a redelivery. */
  USER_ACTIVITY_TABLE: ['dynamodb:PutItem', 'dynamodb:GetItem'],
};

/** Environment variables that say a function talks to PostgreSQL. */
export const DATABASE_ENV_KEYS: readonly string[] = ['DB_HOST'];

/** The PostgreSQL port when the configuration does not say another: the constructs' own. */
export { POSTGRES_PORT } from '../modules/private/ports';

/** DynamoDB's HTTPS port: the only one the SDK uses through the gateway endpoint. */
export const HTTPS_PORT = 443;
