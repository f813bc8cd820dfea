/** Units used throughout: time in seconds, volatility per year, fees in gwei per gas, rates in bp. */
export const SECONDS_PER_YEAR = 365 * 24 * 3600;
/** Native-token units per gwei. */
export const GWEI = 1e-9;
export const BPS = 1e-4;
