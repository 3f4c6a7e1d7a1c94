import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { OutboundHttp } from './outbound-http.js';
import { DnsServersResolver, OutboundResolver, SystemResolver } from './outbound-resolver.js';

/** The outbound HTTP client and its resolver (OUTBOUND_DNS_SERVERS, else the system's), for every context. */
@Global()
@Module({
  providers: [
    {
      provide: OutboundResolver,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.outboundDnsServers.length ? new DnsServersResolver(config.outboundDnsServers) : new SystemResolver(),
    },
    OutboundHttp,
  ],
  exports: [OutboundResolver, OutboundHttp],
})
export class OutboundModule {}
