/** PostgreSQL's port: the only one the database security group opens. No framework import: analysis/ reads it too. */
export const POSTGRES_PORT = 5432;
