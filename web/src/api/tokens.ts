// Where the portal keeps its tokens.
//
// The access token (a 15-minute JWT) lives only in memory: nothing persistent holds a token that
// opens the API by itself. The refresh token is kept in localStorage so that a reload or a new tab
// keeps the session: the portal is a single-page app served as static files, without a
// backend-for-frontend that could hold it in an HttpOnly cookie. That exposure is bounded by the
// server: a refresh token is single-use and rotates on every refresh, and a spent one presented
// again (a stolen copy) revokes its whole family, ending the thief's and the user's sessions.

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

export interface TokenStore {
  readonly access: string | null;
  /** Read each time (another tab may have rotated it). */
  refresh(): string | null;
  save(pair: TokenPair): void;
  clear(): void;
}

export const REFRESH_TOKEN_KEY = 'atelier.refresh_token';

export class BrowserTokenStore implements TokenStore {
  private accessToken: string | null = null;

  constructor(private readonly storage: Storage = window.localStorage) {}

  get access(): string | null {
    return this.accessToken;
  }

  refresh(): string | null {
    try {
      return this.storage.getItem(REFRESH_TOKEN_KEY);
    } catch {
      return null; // storage disabled: the session then lasts as long as the page
    }
  }

  save(pair: TokenPair): void {
    this.accessToken = pair.access_token;
    try {
      this.storage.setItem(REFRESH_TOKEN_KEY, pair.refresh_token);
    } catch {
      // storage full or disabled: keep going with the access token alone
    }
  }

  clear(): void {
    this.accessToken = null;
    try {
      this.storage.removeItem(REFRESH_TOKEN_KEY);
    } catch {
      // nothing to remove
    }
  }
}

/** Tokens held in memory only (tests, and browsers without storage). */
export class MemoryTokenStore implements TokenStore {
  access: string | null = null;
  private refreshToken: string | null = null;

  refresh(): string | null {
    return this.refreshToken;
  }

  save(pair: TokenPair): void {
    this.access = pair.access_token;
    this.refreshToken = pair.refresh_token;
  }

  clear(): void {
    this.access = null;
    this.refreshToken = null;
  }
}
