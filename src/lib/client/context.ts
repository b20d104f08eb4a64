import { createContext } from 'svelte';
import type { Replica } from './replica.svelte';

/** The tab's one Replica, provided by the root layout. */
export const [getReplica, setReplica] = createContext<Replica>();
