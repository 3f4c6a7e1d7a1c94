/** The time source. Domain code never reads the clock itself; services get `now()` from here so tests can pin it. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now() {
    return new Date();
  }
}

/** A clock tests can pin and move. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now() {
    return new Date(this.current.getTime());
  }
  set(instant: Date | string) {
    this.current = new Date(instant);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
