import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../../shared/http/authentication.js';
import { projectRoot } from '../application/web-views.js';

/**
 * GET /embed.js (issue #18): the script hosts put on their own site (public/embed.js, a plain file: nothing to build).
 * Other sites load it, so it is shared with every origin (Cross-Origin-Resource-Policy: cross-origin, where helmet's
 * default would keep it to ours), cached for an hour by browsers and CDNs and revalidated with a strong ETag.
 */
@ApiExcludeController()
@Controller()
export class EmbedScriptController {
  private readonly bytes = readFileSync(join(projectRoot(), 'public', 'embed.js'));
  private readonly etag = `"${createHash('sha256').update(this.bytes).digest('base64url').slice(0, 27)}"`;

  @Public()
  @Get('embed.js')
  script(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() res: FastifyReply) {
    res.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
    res.header('ETag', this.etag);
    res.header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === this.etag)) {
      res.status(304).send();
      return;
    }
    res.type('text/javascript; charset=utf-8').send(this.bytes);
  }
}
