/** The load shapes of issue 3 and issue 6. */
export const CONNECTIONS = 32;
export const FIXED_RATE = 1000;
export const UPLOAD_MIB = 64;
/** As printed in table labels. */
export const FIXED_RATE_TEXT = FIXED_RATE.toLocaleString('en-US');
