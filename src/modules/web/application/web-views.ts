import { Injectable, Optional } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translate } from '../../../shared/i18n/i18n.js';
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
    registerI18nHelpers(this.engine);
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

type HelperOptions = { hash?: Record<string, unknown>; data?: { root?: { i18n?: { locale?: string } } } };
const escape = (s: string) => Handlebars.escapeExpression(s);
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
/** Stands for an HTML argument while the message is formatted and escaped (a private-use character, never typed). */
const SLOT = '\uE000';
const SLOTS = new RegExp(`${SLOT}(\\d+)${SLOT}`, 'g');

/**
 * `{{t "booking.taken"}}`, `{{t "manage.lead" type=view.meetingType.name host=host.name}}`: the message in the page's
 * language (`i18n.locale` of the page context; English when absent, e.g. the admin today). Arguments are escaped;
 * one made by `{{strong x}}` or `{{link href text}}` (a SafeString) goes in as HTML.
 */
export function registerI18nHelpers(engine: typeof Handlebars): void {
  engine.registerHelper('t', (key: unknown, options: HelperOptions) => {
    const locale = options.data?.root?.i18n?.locale;
    const values: Record<string, string | number> = {};
    const html: string[] = [];
    for (const [name, value] of Object.entries(options.hash ?? {})) {
      if (value instanceof Handlebars.SafeString) {
        values[name] = `${SLOT}${html.length}${SLOT}`;
        html.push(value.toHTML());
      } else values[name] = typeof value === 'number' ? value : text(value);
    }
    const message = escape(translate(locale, text(key), values));
    return new Handlebars.SafeString(message.replace(SLOTS, (_, i: string) => html[Number(i)] ?? ''));
  });
  engine.registerHelper('strong', (value: unknown) => new Handlebars.SafeString(`<strong>${escape(text(value))}</strong>`));
  engine.registerHelper(
    'link',
    (href: unknown, label: unknown) => new Handlebars.SafeString(`<a href="${escape(text(href))}">${escape(text(label))}</a>`),
  );
}
