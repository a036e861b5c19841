export * from "./track-record";
export * from "./list-buyer-orders";
export * from "./get-buyer-order";
export * from "./list-seller-orders";
export * from "./get-seller-order";
export { ORDER_STATUSES, ORDERS_PAGE_SIZE, type OrderRowView, type OrderView, type OrdersPage, type OrderStatus, type ListOrdersInput } from "./shared";
