// What schedules publishes beyond its module and application services: the API's host limits request and its mapping
// to changes, so the admin's Limits form is checked by exactly the API's limits and messages.
export { UpdateHostLimitsDto, toHostLimitsChanges } from './http/host-limits.dto.js';
