/** An instant as the API writes it: ISO 8601 in UTC with `Z`, without milliseconds when they are zero. */
export const toApiInstant = (value: Date | string | number) => new Date(value).toISOString().replace('.000Z', 'Z');
