// The shapes a configuration value is parsed into. Kept apart from the Config record so
// the parsers (which produce them) and config/index.ts (which assembles them) both import
// downward, never each other.

export type DatabaseConfig =
  | { dialect: 'sqlite'; storage: string; url: string }
  /** `hosts`: the servers named, in order of preference (one, or the nodes of a cluster). */
  | { dialect: 'mysql'; url: string; hosts: Array<{ host: string; port: number }> };

/** A separate listener's interface and port. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Express's `trust proxy` in its bounded forms: nothing, the number of proxies in front
 * (the client address is the one the outermost of them saw), or the proxies' addresses.
 */
export type TrustProxy = false | number | readonly string[];
