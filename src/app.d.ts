declare global {
	namespace App {
		interface Locals {
			userId: string;
		}
	}
}

export {};
