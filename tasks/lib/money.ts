/** The zero address, which the vault and the licence manager read as ETH. */
export const ETH = "0x0000000000000000000000000000000000000000";
