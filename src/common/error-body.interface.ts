import { ErrorCode } from '../protocol/error-codes.js';

/** The JSON body of every HTTP error. */
export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
}
