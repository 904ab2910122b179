// Leaving the portal for another site (an OAuth client's redirect URI): a full navigation, kept
// behind one function so that tests can see where the page would go.
export function leaveTo(url: string): void {
  window.location.assign(url);
}
