// Stands in for lib/adapters/isomorphic-git-connector.ts in the bundle bench's variant (e): the bundle as
// it would be without plain git hosts, to measure what carrying the lazily loaded connector costs.
export class IsomorphicGitConnector {
  connect(): never {
    throw new Error('plain git hosts are left out of this bundle');
  }
}
