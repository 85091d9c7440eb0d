import { createHash } from 'node:crypto';
import { convertToFormats } from './convert.js';
import type { EncodedAudio, MediaFormat } from './types.js';
import { decodeWav, readFailure, readPromptFile } from './wav.js';

/**
 * Reading and converting prompt files for a load: each file once, each content once.
 */

export type Converted = Map<MediaFormat, EncodedAudio>;
export type FileResult = { ok: true; audio: Converted } | { ok: false; reason: string; missing?: true };

/**
 * Converted audio by file content and formats, kept across loads: a reload of `ivr serve` (or a
 * second test run in one process) reconverts only the files whose bytes changed, and unchanged
 * prompts stay the very same objects.
 */
const conversions = new Map<string, Converted>();

/**
 * Converts every file, yielding to the event loop between files: conversion is synchronous CPU
 * work (a few ms per second of audio that needs resampling), and a reload under `ivr serve` must
 * not stall the media of calls in progress for the whole load.
 */
export async function convertFiles(paths: Iterable<string>, formats: readonly MediaFormat[]): Promise<Map<string, FileResult>> {
  const results = new Map<string, FileResult>();
  const used = new Set<string>();
  for (const path of paths) {
    if (results.has(path)) continue;
    results.set(path, convertFile(path, formats, used));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // Forget conversions this load did not use (audio edited or removed since): stores already
  // built keep their own references, so only memory is given back.
  for (const key of conversions.keys()) if (!used.has(key)) conversions.delete(key);
  return results;
}

function convertFile(path: string, formats: readonly MediaFormat[], used: Set<string>): FileResult {
  let bytes: Buffer;
  try {
    bytes = readPromptFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'file not found', missing: true };
    return { ok: false, reason: readFailure(err) };
  }
  const key = `${formats.join(',')}:${createHash('sha1').update(bytes).digest('base64')}`;
  used.add(key);
  const cached = conversions.get(key);
  if (cached !== undefined) return { ok: true, audio: cached };
  const decoded = decodeWav(bytes);
  if (!decoded.ok) return decoded;
  const audio = convertToFormats(decoded.wav, formats);
  conversions.set(key, audio);
  return { ok: true, audio };
}
