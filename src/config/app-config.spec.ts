import { AppConfig, readyLine } from './app-config.js';
import { validateEnv } from './env.validation.js';

const config = (env: Record<string, string>) => new AppConfig(validateEnv({ APP_SECRET: 'x'.repeat(40), ...env }));

describe('AppConfig.publicUrl', () => {
  it('defaults to the address the app listens on: PORT, or the port it actually bound (PORT=0)', () => {
    expect(config({}).publicUrl).toBe('http://localhost:3000');
    expect(config({ PORT: '4123' }).publicUrl).toBe('http://localhost:4123');
    expect(config({ PORT: '4123', PUBLIC_URL: '' }).publicUrl).toBe('http://localhost:4123');
    const anyPort = config({ PORT: '0' });
    anyPort.listeningOn(45678);
    expect(anyPort.publicUrl).toBe('http://localhost:45678');
  });

  it('an explicit PUBLIC_URL wins (without a trailing slash)', () => {
    const c = config({ PORT: '4123', PUBLIC_URL: 'https://meet.example.com/' });
    c.listeningOn(4123);
    expect(c.publicUrl).toBe('https://meet.example.com');
  });

  it('the ready line names the URL', () => {
    const c = config({ PORT: '4123' });
    c.listeningOn(4123);
    expect(JSON.parse(readyLine(c, 1200))).toMatchObject({ msg: 'Kairos is ready at http://localhost:4123', url: 'http://localhost:4123' });
  });
});
