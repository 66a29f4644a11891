import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "coverage/",
      "types/",
      "deploy/deployments/",
      "app/dist/",
      "app/src/generated.ts",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-console": "off",
    },
  },
  {
    // The client core and the gateway run without Hardhat (client/README.md); test/client/hardhat-free.test.ts
    // checks what is really loaded at run time.
    files: ["client/**/*.ts", "gateway/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hardhat", "hardhat/*", "@nomicfoundation/*"],
              message: "client/ and gateway/ must not import Hardhat; use ethers and client/ instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // The indexer runs inside Ponder (vite-node), without Hardhat: its ABIs are generated from the build's artifacts.
    files: ["indexer/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["hardhat", "hardhat/*", "@nomicfoundation/*", "**/types/ethers-contracts/*"],
              message: "indexer/ runs without Hardhat: use its generated abis/ and client/ instead.",
            },
          ],
        },
      ],
    },
  },
);
