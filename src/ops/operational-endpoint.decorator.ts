import { SetMetadata } from '@nestjs/common';

/** Metadata key marking probe and scrape routes, which access guards must leave open. */
export const OPERATIONAL_ENDPOINT = 'sigsocket:operational-endpoint';

/** Marks a controller or route as operational (health, metrics): never behind API keys. */
export const OperationalEndpoint = (): ClassDecorator & MethodDecorator =>
  SetMetadata(OPERATIONAL_ENDPOINT, true);
