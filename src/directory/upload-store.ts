// An uploaded CSV kept in the database between its preview and its import (several
// processes share one database; any of them may run the import), in chunks so that reading
// it back is a stream, not one large value.
import { Op } from 'sequelize';
import type { Models } from '../db/models.js';

/** Characters per chunk: within MySQL's 64 kB TEXT even at 4 bytes a character. */
export const CHUNK_CHARS = 16_000;
const CHUNKS_PER_QUERY = 32;

export async function storeChunks(models: Models, runId: string, text: string): Promise<number> {
  let seq = 0;
  let pending: Array<{ runId: string; seq: number; content: string }> = [];
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    // Never split a surrogate pair: each half alone is not valid UTF-8 to store.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    pending.push({ runId, seq: seq++, content: text.slice(start, end) });
    start = end;
    if (pending.length >= CHUNKS_PER_QUERY) {
      await models.DirectoryUploadChunk.bulkCreate(pending);
      pending = [];
    }
  }
  if (pending.length) await models.DirectoryUploadChunk.bulkCreate(pending);
  return seq;
}

export async function* readChunks(models: Models, runId: string): AsyncGenerator<string> {
  for (let from = 0; ; from += CHUNKS_PER_QUERY) {
    const rows = await models.DirectoryUploadChunk.findAll({
      where: { runId, seq: { [Op.gte]: from, [Op.lt]: from + CHUNKS_PER_QUERY } },
      order: [['seq', 'ASC']],
    });
    for (const row of rows) yield row.content;
    if (rows.length < CHUNKS_PER_QUERY) return;
  }
}
