// What meeting-types publishes beyond its module and application services: the API's meeting type request and its
// mapping to changes, so the admin's form is checked by exactly the API's limits and messages.
export { CreateMeetingTypeDto, toChanges } from './http/meeting-type.dto.js';
