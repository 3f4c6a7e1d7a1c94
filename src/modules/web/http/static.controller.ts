import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../../shared/http/authentication.js';
import { projectRoot } from '../application/web-views.js';

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

/** /static/<file>: the stylesheet and the browser script, from public/ (a fixed list, so no path tricks). */
@ApiExcludeController()
@Controller('static')
export class StaticController {
  private readonly dir = join(projectRoot(), 'public');
  private readonly files = new Set(readdirSync(this.dir));

  @Public()
  @Get(':file')
  file(@Param('file') file: string, @Res() res: Response) {
    const type = TYPES[file.split('.').pop() ?? ''];
    if (!this.files.has(file) || !type) throw new NotFoundException('file not found');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.type(type).sendFile(join(this.dir, file));
  }
}
