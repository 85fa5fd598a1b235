import { MemoryRegistry } from "../../src/index.js";
import { registryContract } from "./contract.js";

registryContract("MemoryRegistry", () => Promise.resolve(new MemoryRegistry()));
