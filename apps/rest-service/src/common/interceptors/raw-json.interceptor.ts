import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { map, Observable } from 'rxjs';
import { RawJson } from '../list/json-page';

/** Sends a RawJson body as it is, as `application/json` (any other value passes through). */
@Injectable()
export class RawJsonInterceptor implements NestInterceptor {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((value: unknown) => {
        if (!(value instanceof RawJson)) return value;
        const response: unknown = context.switchToHttp().getResponse();
        this.adapterHost.httpAdapter.setHeader(
          response,
          'Content-Type',
          'application/json; charset=utf-8',
        );
        return value.bytes;
      }),
    );
  }
}
