import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../../shared/http/authentication.js';
import { projectRoot } from '../application/web-views.js';

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

/**
 * /static/<file>: the stylesheet and the browser script, from public/ (a fixed list, so no path tricks). The files
 * are a few kilobytes, so they are read once at start and sent from memory.
 */
@ApiExcludeController()
@Controller('static')
export class StaticController {
  private readonly files = loadPublicFiles(join(projectRoot(), 'public'));

  @Public()
  @Get(':file')
  file(@Param('file') file: string, @Res() res: FastifyReply) {
    const found = this.files.get(file);
    if (!found) throw new NotFoundException('file not found');
    res.header('Cache-Control', 'public, max-age=300');
    res.type(found.type).send(found.bytes);
  }
}

function loadPublicFiles(dir: string): Map<string, { type: string; bytes: Buffer }> {
  const files = new Map<string, { type: string; bytes: Buffer }>();
  for (const name of readdirSync(dir)) {
    const type = TYPES[name.split('.').pop() ?? ''];
    if (type) files.set(name, { type, bytes: readFileSync(join(dir, name)) });
  }
  return files;
}
