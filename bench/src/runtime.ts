/** The Node versions the packages support: `engines` `>=22.12` in every package.json (decision 0023). */
export function isSupportedNode(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}
