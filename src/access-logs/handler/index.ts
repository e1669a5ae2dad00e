export async function handler(): Promise<void> { /* replaced by the access-logs work */ }
