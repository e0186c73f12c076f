// The one Express error handler: exposed errors answer with their
// message, anything else with a generic message and an error id that is logged with the
// error, never a stack trace. Unknown paths answer 404 as a page or JSON.
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { DatabaseError } from 'sequelize';
import { StatementTimeout } from '../../src/db/statement-timeout.js';
import { Conflict, NotFound, Unavailable, ValidationError } from '../../src/errors.js';
import { errorHandler } from '../../src/web/error-handler.js';
import { requestIds } from '../../src/web/request-context.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { LogCapture } from '../helpers/log-capture.js';

const INTERNAL = 'connect ECONNREFUSED db.internal:3306 as gatehouse:hunter2';

function appWithThrowingRoutes(logs: LogCapture) {
  const logger = logs.logger();
  const app = express();
  app.use(requestIds(logger));
  app.use(express.json());
  app.get('/boom', () => {
    throw new Error(INTERNAL);
  });
  app.get('/async-boom', async () => {
    await Promise.resolve();
    throw new TypeError(INTERNAL);
  });
  app.get('/conflict', () => {
    throw new Conflict('This username is already taken.', 'username');
  });
  app.get('/invalid', () => {
    throw new ValidationError({ email: 'Enter a valid email address.' });
  });
  app.get('/unavailable', () => {
    throw new Unavailable(INTERNAL);
  });
  app.get('/database-reset', () => {
    throw new DatabaseError(Object.assign(new Error(`read ECONNRESET ${INTERNAL}`), { code: 'ECONNRESET', fatal: true, sql: 'SELECT 1' }));
  });
  app.get('/database-timeout', async () => {
    throw new StatementTimeout(1000);
  });
  app.post('/json', (_req, res) => res.json({ ok: true }));
  app.use((_req, _res, next) => next(new NotFound('There is no page at this address.')));
  app.use(errorHandler(logger));
  return app;
}

function errorIdIn(message: string): string {
  const id = message.match(/error id ([0-9a-f-]{36})/)?.[1];
  expect(id, `error id in "${message}"`).to.be.a('string');
  return id!;
}

describe('error handler', () => {
  const logs = new LogCapture();
  const app = appWithThrowingRoutes(logs);
  beforeEach(() => logs.clear());

  for (const path of ['/boom', '/async-boom']) {
    it(`answers an unexpected error (${path}) with 500, an error id and no stack trace`, async () => {
      const res = await request(app).get(path).set('Accept', 'application/json').expect(500).expect('Content-Type', /json/);
      expect(res.body.error).to.equal('server_error');
      const errorId = errorIdIn(res.body.message);
      expect(res.text).not.to.include('hunter2');
      expect(res.text).not.to.include('ECONNREFUSED');
      expect(res.text).not.to.match(/\bat .*\.(ts|js):\d+/);

      // The id leads to the full error in the log, with the request's id.
      const [line] = logs.withMessage('unexpected error');
      expect(line.errorId).to.equal(errorId);
      expect((line.err as { stack: string }).stack).to.include(INTERNAL);
      expect(line.requestId).to.equal(res.headers['x-request-id']);
    });
  }

  it('answers a browser with a page holding the error id and no stack trace', async () => {
    const res = await request(app).get('/boom').set('Accept', 'text/html').expect(500).expect('Content-Type', /html/);
    expect(res.text).to.include('Something went wrong');
    const errorId = errorIdIn(res.text);
    expect(logs.withMessage('unexpected error')[0].errorId).to.equal(errorId);
    expect(res.text).not.to.include('hunter2');
    expect(res.text).not.to.match(/\bat .*\.(ts|js):\d+/);
  });

  it('answers exposed domain errors with their status and message', async () => {
    const conflict = await request(app).get('/conflict').set('Accept', 'application/json').expect(409);
    expect(conflict.body).to.deep.equal({ error: 'conflict', message: 'This username is already taken.' });
    const invalid = await request(app).get('/invalid').set('Accept', 'application/json').expect(400);
    expect(invalid.body.error).to.equal('validation_failed');
    expect(invalid.body.fields).to.deep.equal({ email: 'Enter a valid email address.' });
    expect(logs.withMessage('unexpected error')).to.have.length(0);
  });

  it('hides the message of an unexposed error (Unavailable) behind 503 and an error id', async () => {
    const res = await request(app).get('/unavailable').set('Accept', 'application/json').expect(503);
    expect(res.body.error).to.equal('unavailable');
    expect(res.text).not.to.include('hunter2');
    expect(logs.withMessage('unexpected error')[0].errorId).to.equal(errorIdIn(res.body.message));
  });

  for (const path of ['/database-reset', '/database-timeout']) {
    it(`answers a database that is not answering (${path}) with 503, Retry-After and a clean message, never 500`, async () => {
      const res = await request(app).get(path).set('Accept', 'application/json').expect(503).expect('Retry-After', '5');
      expect(res.body).to.deep.equal({ error: 'unavailable', message: 'The service is temporarily unavailable. Try again in a few seconds.' });
      const page = await request(app).get(path).set('Accept', 'text/html').expect(503).expect('Content-Type', /html/);
      expect(page.text).to.include('temporarily unavailable');
      for (const text of [res.text, page.text]) expect(text).not.to.match(/hunter2|ECONNRESET|did not answer|\bat .*\.(ts|js):\d+/);
      // The driver's error is in the log, as a warning (the service is degraded, not broken).
      expect(logs.withMessage('database unavailable')).to.have.length(2);
      expect(logs.withMessage('unexpected error')).to.have.length(0);
    });
  }

  it('answers a malformed body with 400 and the parser’s message', async () => {
    const res = await request(app).post('/json').set('Content-Type', 'application/json').set('Accept', 'application/json').send('{"broken":').expect(400);
    expect(res.body.error).to.equal('entity_parse_failed');
  });
});

describeEachDatabase('unknown paths in the app', (h) => {
  it('answer 404 as a page for browsers', async () => {
    const res = await request(h.app).get('/no/such/page').set('Accept', 'text/html').expect(404).expect('Content-Type', /html/);
    expect(res.text).to.include('There is no page at this address.');
  });

  it('answer 404 as JSON for API clients', async () => {
    const res = await request(h.app).get('/no/such/page').set('Accept', 'application/json').expect(404).expect('Content-Type', /json/);
    expect(res.body).to.deep.equal({ error: 'not_found', message: 'There is no page at this address.' });
  });
});
