import type { Sock } from './catalogueData.ts';

// The front-end's static pages. As in Sock Shop, they are plain files: the browser's
// JavaScript fetches the data, so serving them touches no other service (and no session).

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SCRIPTS = ['jquery-1.11.0.min', 'bootstrap.min', 'jquery.cookie', 'waypoints.min', 'jquery.counterup.min', 'jquery.parallax-1.1.3', 'front', 'owl.carousel.min', 'client', 'logout', 'login', 'register', 'cart', 'catalogue', 'customer'];
const STYLES = ['font-awesome', 'bootstrap.min', 'animate.min', 'owl.carousel', 'owl.theme', 'style.blue', 'custom'];

function navbar(tags: readonly string[]): string {
  const items = tags.map((t) => `            <li><a href="category.html?tags=${encodeURIComponent(t)}">${escape(t)}</a></li>`).join('\n');
  return `  <div class="navbar navbar-default yamm" role="navigation" id="navbar">
    <div class="container">
      <div class="navbar-header"><a class="navbar-brand home" href="index.html"><img src="img/logo.png" alt="WeaveSocks logo" class="hidden-xs"><span class="sr-only">WeaveSocks - go to homepage</span></a></div>
      <div class="navbar-collapse collapse" id="navigation">
        <ul class="nav navbar-nav navbar-left">
          <li class="active"><a href="index.html">Home</a></li>
          <li class="dropdown yamm-fw"><a href="#" class="dropdown-toggle" data-toggle="dropdown" data-hover="dropdown" data-delay="200">Catalogue <b class="caret"></b></a>
          <ul class="dropdown-menu">
${items}
          </ul></li>
        </ul>
      </div>
      <div class="navbar-buttons"><div class="navbar-collapse collapse right" id="basket-overview"><a href="basket.html" class="btn btn-primary navbar-btn"><i class="fa fa-shopping-cart"></i><span id="numItemsInCart" class="hidden-sm">0 items in cart</span></a></div></div>
    </div>
  </div>`;
}

function footer(): string {
  const columns = ['Pages', 'User section', 'Top categories', 'Where to find us', 'Get the news'].map(
    (title, i) => `      <div class="col-md-3 col-sm-6"><h4>${title}</h4><ul>${Array.from({ length: 5 }, (_, j) => `<li><a href="#section-${i}-${j}">${title} link ${j + 1}</a></li>`).join('')}</ul><hr class="hidden-md hidden-lg hidden-sm"></div>`,
  );
  return `  <div id="footer" data-animate="fadeInUp">\n    <div class="container">\n${columns.join('\n')}\n    </div>\n  </div>\n  <div id="copyright"><div class="container"><div class="col-md-6"><p class="pull-left">&copy; 2016 Weaveworks, Inc.</p></div><div class="col-md-6"><p class="pull-right">Template by <a href="https://bootstrapious.com">Bootstrapious</a></p></div></div></div>`;
}

function layout(title: string, tags: readonly string[], content: string): string {
  const styles = STYLES.map((s) => `  <link href="css/${s}.css" rel="stylesheet">`).join('\n');
  const scripts = SCRIPTS.map((s) => `  <script src="js/${s}.js"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="robots" content="all,follow">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>WeaveSocks: ${escape(title)}</title>
  <meta name="description" content="WeaveSocks: the finest socks of the Sock Shop microservices demo">
${styles}
</head>
<body>
${navbar(tags)}
  <div id="all"><div id="content"><div class="container">
${content}
  </div></div></div>
${footer()}
${scripts}
</body>
</html>
`;
}

function productCards(socks: readonly Sock[], count: number): string {
  return socks
    .slice(0, count)
    .map(
      (s) => `    <div class="col-md-4 col-sm-6"><div class="product"><div class="flip-container"><div class="flipper"><div class="front"><a href="detail.html?id=${s.id}"><img src="${s.imageUrl[0] ?? ''}" alt="" class="img-responsive"></a></div><div class="back"><a href="detail.html?id=${s.id}"><img src="${s.imageUrl[1] ?? ''}" alt="" class="img-responsive"></a></div></div></div>
      <div class="text"><h3><a href="detail.html?id=${s.id}">${escape(s.name)}</a></h3><p class="price">$${s.price.toFixed(2)}</p><p class="buttons"><a href="detail.html?id=${s.id}" class="btn btn-default">View detail</a> <a href="#" class="btn btn-primary" onclick="addToCart('${s.id}')"><i class="fa fa-shopping-cart"></i>Add to cart</a></p></div></div></div>`,
    )
    .join('\n');
}

/** Path → HTML of every static page, built once at start. */
export function buildStaticPages(socks: readonly Sock[], tags: readonly string[]): ReadonlyMap<string, string> {
  const index = layout('Home', tags, `    <div id="main-slider" class="owl-carousel owl-theme">${[1, 2, 3, 4].map((i) => `<div class="item"><img src="img/main-slider${i}.jpg" alt="" class="img-responsive"></div>`).join('')}</div>\n    <div id="hot"><div class="box"><h2>Hot this week</h2></div>\n${productCards(socks, 9)}\n    </div>`);
  const category = layout('Catalogue', tags, `    <div class="col-md-3"><div class="panel panel-default sidebar-menu"><div class="panel-heading"><h3 class="panel-title">Filters</h3></div><div class="panel-body"><form id="filters">${tags.map((t) => `<div class="checkbox"><label><input type="checkbox" value="${escape(t)}">${escape(t)}</label></div>`).join('')}</form></div></div></div>\n    <div class="col-md-9"><div class="row products" id="products">\n${productCards(socks, 6)}\n    </div><div class="pages"><ul class="pagination" id="pagination"></ul></div></div>`);
  const detail = layout('Product detail', tags, `    <div class="col-md-9"><div class="row" id="productMain"><div class="col-sm-6"><div id="mainImage"><img id="main-image" src="" alt="" class="img-responsive"></div></div><div class="col-sm-6"><div class="box"><h1 class="text-center" id="title"></h1><p class="goToDescription"><a href="#details" class="scroll-to">Scroll to product details, material and care</a></p><p class="price" id="price"></p><p class="text-center buttons"><a href="#" id="buttonCart" class="btn btn-primary"><i class="fa fa-shopping-cart"></i> Add to cart</a></p></div></div></div><div class="box" id="details"><h4>Product details</h4><p id="description"></p><h4>Material &amp; care</h4><ul><li>Polyester</li><li>Machine wash</li></ul><h4>Size &amp; Fit</h4><ul><li>Regular fit</li><li>One size</li></ul></div></div>`);
  const basket = layout('Basket', tags, `    <div class="col-md-9" id="basket"><div class="box"><form method="post" action="checkout1.html"><h1>Shopping cart</h1><p class="text-muted" id="cart-count"></p><div class="table-responsive"><table class="table"><thead><tr><th colspan="2">Product</th><th>Quantity</th><th>Unit price</th><th>Discount</th><th colspan="2">Total</th></tr></thead><tbody id="cart-list"></tbody><tfoot><tr><th colspan="5">Total</th><th colspan="2" id="cart-total"></th></tr></tfoot></table></div><div class="box-footer"><div class="pull-left"><a href="category.html" class="btn btn-default"><i class="fa fa-chevron-left"></i> Continue shopping</a></div><div class="pull-right"><button class="btn btn-default" id="updateCart"><i class="fa fa-refresh"></i> Update basket</button> <button type="button" class="btn btn-primary" id="orderButton" onclick="order()">Proceed to checkout <i class="fa fa-chevron-right"></i></button></div></div></form></div></div>`);
  const orders = layout('My orders', tags, `    <div class="col-md-9" id="customer-orders"><div class="box"><h1>My orders</h1><p class="lead">Your orders on one place.</p><hr><div class="table-responsive"><table class="table table-hover"><thead><tr><th>Order</th><th>Date</th><th>Total</th><th>Status</th><th>Action</th></tr></thead><tbody id="tableOrders"></tbody></table></div></div></div>`);
  return new Map([
    ['/', index],
    ['/index.html', index],
    ['/category.html', category],
    ['/detail.html', detail],
    ['/basket.html', basket],
    ['/customer-orders.html', orders],
  ]);
}
