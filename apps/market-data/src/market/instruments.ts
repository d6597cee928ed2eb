/** One listed instrument of the demo universe. */
export interface Instrument {
  readonly symbol: string;
  /** Where the random walk starts and what it reverts to. */
  readonly basePrice: number;
  readonly sector: string;
  /** Relative trading activity: a symbol with twice the weight prints twice as often. */
  readonly weight: number;
}

const I = (symbol: string, basePrice: number, sector: string, weight: number): Instrument => ({ symbol, basePrice, sector, weight });

/** The 50 symbols of the synthetic feed, the most active first. */
export const INSTRUMENTS: readonly Instrument[] = Object.freeze([
  I('NVDA', 131.5, 'Technology', 10),
  I('TSLA', 248.2, 'Consumer Discretionary', 9),
  I('AAPL', 228.7, 'Technology', 8),
  I('AMD', 152.3, 'Technology', 6),
  I('MSFT', 415.1, 'Technology', 6),
  I('AMZN', 186.4, 'Consumer Discretionary', 6),
  I('META', 567.8, 'Communication Services', 5),
  I('GOOGL', 165.9, 'Communication Services', 5),
  I('INTC', 22.4, 'Technology', 4),
  I('BAC', 41.2, 'Financials', 4),
  I('AVGO', 172.6, 'Technology', 4),
  I('NFLX', 702.3, 'Communication Services', 3),
  I('JPM', 224.9, 'Financials', 3),
  I('PLTR', 41.8, 'Technology', 3),
  I('XOM', 118.6, 'Energy', 3),
  I('F', 10.9, 'Consumer Discretionary', 3),
  I('PFE', 28.9, 'Health Care', 3),
  I('T', 22.1, 'Communication Services', 3),
  I('WFC', 61.7, 'Financials', 2),
  I('C', 63.4, 'Financials', 2),
  I('ORCL', 171.2, 'Technology', 2),
  I('CSCO', 53.2, 'Technology', 2),
  I('QCOM', 168.9, 'Technology', 2),
  I('CRM', 289.4, 'Technology', 2),
  I('ADBE', 509.6, 'Technology', 2),
  I('DIS', 95.3, 'Communication Services', 2),
  I('KO', 70.1, 'Consumer Staples', 2),
  I('PEP', 167.5, 'Consumer Staples', 2),
  I('WMT', 80.4, 'Consumer Staples', 2),
  I('CVX', 149.8, 'Energy', 2),
  I('UNH', 588.2, 'Health Care', 2),
  I('LLY', 889.7, 'Health Care', 2),
  I('MRK', 101.4, 'Health Care', 2),
  I('JNJ', 161.3, 'Health Care', 2),
  I('ABBV', 189.9, 'Health Care', 1),
  I('V', 289.1, 'Financials', 1),
  I('MA', 509.2, 'Financials', 1),
  I('GS', 512.6, 'Financials', 1),
  I('MS', 104.8, 'Financials', 1),
  I('BA', 155.7, 'Industrials', 1),
  I('CAT', 391.4, 'Industrials', 1),
  I('GE', 188.3, 'Industrials', 1),
  I('HON', 207.5, 'Industrials', 1),
  I('IBM', 231.2, 'Technology', 1),
  I('NKE', 82.6, 'Consumer Discretionary', 1),
  I('MCD', 297.4, 'Consumer Discretionary', 1),
  I('SBUX', 97.8, 'Consumer Discretionary', 1),
  I('COST', 889.1, 'Consumer Staples', 1),
  I('PG', 172.3, 'Consumer Staples', 1),
  I('VZ', 44.9, 'Communication Services', 1),
]);
