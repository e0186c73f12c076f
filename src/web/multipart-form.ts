// multipart/form-data for forms that upload a file without JavaScript (the CSV import).
// The body is read by Express's built-in raw parser (with its size limit and 413), then
// split into parts here (RFC 7578): text fields become strings in req.body like urlencoded
// fields (repeated names become lists), files become UploadedFile values with their bytes
// untouched — the import decides whether they are UTF-8. Mounted before the CSRF check so
// the form's `_csrf` field is read from the multipart body like any other form.
import express, { type NextFunction, type Request, type Response } from 'express';
import { DomainError } from '../errors.js';

export interface UploadedFile {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return !!value && typeof value === 'object' && Buffer.isBuffer((value as UploadedFile).data);
}

class MalformedForm extends DomainError {
  constructor() {
    super('malformed_form', 'The form was not sent completely. Go back and send it again.', 400);
  }
}

const CRLF = Buffer.from('\r\n');

export function multipartForms(options: { limit: string | number }) {
  const raw = express.raw({ type: 'multipart/form-data', limit: options.limit });
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) return next();
    const boundary = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(req.get('content-type') ?? '');
    if (!boundary) return next(new MalformedForm());
    raw(req, res, (err?: unknown) => {
      if (err) return next(err);
      try {
        req.body = parseMultipart(req.body as Buffer, boundary[1] ?? boundary[2]!);
      } catch (e) {
        return next(e);
      }
      next();
    });
  };
}

export function parseMultipart(body: Buffer, boundary: string): Record<string, string | string[] | UploadedFile> {
  // No prototype: a part named "__proto__" or "constructor" is just a field.
  const out = Object.create(null) as Record<string, string | string[] | UploadedFile>;
  const delimiter = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new MalformedForm();
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return out; // "--": the closing delimiter
    if (!body.subarray(pos, pos + 2).equals(CRLF)) throw new MalformedForm();
    const headersEnd = body.indexOf('\r\n\r\n', pos + 2);
    if (headersEnd < 0) throw new MalformedForm();
    const headers = body.subarray(pos + 2, headersEnd).toString('utf8');
    const end = body.indexOf(next, headersEnd + 4);
    if (end < 0) throw new MalformedForm();
    const data = body.subarray(headersEnd + 4, end);
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)?.[1] ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const fileName = /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (fileName !== undefined) {
        // An empty file input still sends a part, with no file name: treat it as absent.
        if (fileName !== '') out[name] = { fileName: fileName.replace(/^.*[\\/]/, ''), contentType: /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? 'application/octet-stream', data };
      } else {
        const value = data.toString('utf8');
        const prior = Object.hasOwn(out, name) ? out[name] : undefined;
        out[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : typeof prior === 'string' ? [prior, value] : value;
      }
    }
    pos = end + next.length;
  }
}
