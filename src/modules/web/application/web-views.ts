import { Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GoogleSignIn } from '../../identity/application/google-sign-in.service.js';

type Template = (context: unknown) => string;

/** The project root (the folder with package.json), found from this file so it works from src/ and dist/. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export interface PageContext {
  title: string;
  /** Signed-in admin pages show the admin navigation. */
  admin?: { username: string; csrf: string; section?: string } | null;
  [key: string]: unknown;
}

/**
 * Handlebars pages (views/*.hbs, partials in views/partials) rendered to strings inside views/layout.hbs. Handlebars
 * because it escapes by default and keeps logic out of templates: the controllers build plain view models.
 */
@Injectable()
export class WebViews {
  private readonly engine = Handlebars.create(); // a private instance: its own helpers and partials
  private readonly templates = new Map<string, Template>();
  private readonly dir = join(projectRoot(), 'views');

  constructor(@Optional() private readonly google?: GoogleSignIn) {
    this.engine.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.engine.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
    const partials = join(this.dir, 'partials');
    for (const file of readdirSync(partials)) {
      if (file.endsWith('.hbs')) this.engine.registerPartial(file.slice(0, -4), readFileSync(join(partials, file), 'utf8'));
    }
  }

  /** `googleSignIn`: whether the login and sign-up pages offer "Sign in with Google" (a client is configured). */
  render(view: string, page: PageContext): string {
    const context = { googleSignIn: this.google?.enabled ?? false, ...page };
    const body = this.template(view)(context);
    return this.template('layout')({ ...context, body });
  }

  private template(name: string): Template {
    let t = this.templates.get(name);
    if (!t) {
      t = this.engine.compile(readFileSync(join(this.dir, `${name}.hbs`), 'utf8'));
      this.templates.set(name, t);
    }
    return t;
  }
}
