export * from "./track-record";
export * from "./list-buyer-orders";
export * from "./get-buyer-order";
export * from "./list-seller-orders";
export * from "./get-seller-order";
export * from "./order-events";
export * from "./accept-order";
export * from "./reject-order";
export * from "./ship-order";
export * from "./confirm-delivery";
export * from "./confirm-due-deliveries";
export * from "./cancel-order";
export * from "./request-order-cancellation";
export * from "./answer-order-cancellation";
export * from "./open-dispute";
export * from "./resolve-dispute";
export * from "./list-disputes";
export * from "./get-dispute";
export { DISPUTE_WINDOW_DAYS, type OrderMoveResult } from "./lifecycle";
export {
  ORDER_STATUSES,
  ORDERS_PAGE_SIZE,
  type OrderRowView,
  type OrderView,
  type OrdersPage,
  type OrderStatus,
  type ListOrdersInput,
  type OrderEventView,
  type OrderDisputeView,
} from "./shared";
