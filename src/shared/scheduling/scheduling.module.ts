import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PeriodicJobs } from './periodic-jobs.js';

/** @nestjs/schedule and the one shape for periodic work (PeriodicJobs), for every context. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [PeriodicJobs],
  exports: [PeriodicJobs],
})
export class SchedulingModule {}
