/**
 * AES-256-CBC decryption without WebCrypto's own padding rule. WebCrypto's AES-CBC always strips
 * PKCS#7 padding for 16-byte blocks and fails on anything else, but WeChat's safe mode pads to
 * 32-byte blocks (a pad byte up to 32), so its ciphertexts often fail that check.
 *
 * The way around, with WebCrypto alone: append one more ciphertext block that decrypts to a full
 * 16-byte padding block. For the last block C, that block is E(K, 0x10.. XOR C), which is what
 * AES-CBC *encryption* of sixteen 0x10 bytes with IV = C outputs first. WebCrypto then removes
 * exactly that block and hands back the data as it was, WeChat's own padding included.
 */

const BLOCK = 16;

async function cbcKey(raw: Uint8Array<ArrayBuffer>, usage: 'encrypt' | 'decrypt'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, 'AES-CBC', false, [usage]);
}

/** The data decrypted block by block, nothing removed; throws unless it is whole blocks. */
export async function decryptCbcUnpadded(rawKey: Uint8Array<ArrayBuffer>, iv: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  if (data.length === 0 || data.length % BLOCK !== 0) throw new Error('AES-CBC data must be whole 16-byte blocks');
  const last = data.slice(data.length - BLOCK);
  const padBlock = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv: last }, await cbcKey(rawKey, 'encrypt'), new Uint8Array(BLOCK).fill(BLOCK))).slice(0, BLOCK);
  const extended = new Uint8Array(data.length + BLOCK);
  extended.set(data, 0);
  extended.set(padBlock, data.length);
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-CBC', iv }, await cbcKey(rawKey, 'decrypt'), extended));
}
