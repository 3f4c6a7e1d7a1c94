import { Injectable } from '@nestjs/common';

/** Slot cache lookups, counted by SlotsService and exported by /metrics (availability cache hit ratio). */
@Injectable()
export class SlotCacheCounter {
  hits = 0;
  misses = 0;

  record(hit: boolean): void {
    if (hit) this.hits += 1;
    else this.misses += 1;
  }
}
