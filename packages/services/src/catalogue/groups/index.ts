export * from "./list-customer-groups";
export * from "./get-customer-group";
export * from "./create-customer-group";
export * from "./rename-customer-group";
export * from "./delete-customer-group";
export * from "./find-buyers-for-group";
export * from "./add-customer-group-member";
export * from "./remove-customer-group-member";
