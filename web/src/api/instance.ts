// The portal's one ApiClient. Tests swap it for one with a fake fetch (setApi).
import { ApiClient } from './client';
import { BrowserTokenStore, MemoryTokenStore } from './tokens';

function defaultStore() {
  try {
    return new BrowserTokenStore(window.localStorage);
  } catch {
    return new MemoryTokenStore();
  }
}

let client = new ApiClient({ tokens: defaultStore() });

export function api(): ApiClient {
  return client;
}

export function setApi(next: ApiClient): void {
  client = next;
}
