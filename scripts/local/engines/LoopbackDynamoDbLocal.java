import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * Starts DynamoDB Local as its own main class does, but listening on
 * 127.0.0.1 only: DynamoDB Local has no option for the address it binds, and
 * its Jetty server takes every interface unless its connector is given a host
 * before it starts. Arguments are DynamoDB Local's own (-port, -inMemory, ...),
 * with one addition: `-port 0` binds a port the system chooses, as it binds
 * it (so no other process can take it in between), and prints it on a line of
 * its own: "Parley: DynamoDB Local listening on port <port>".
 */
public final class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    // DynamoDB Local's own parser refuses port 0: it reads a placeholder, and the connector gets 0 below.
    String[] parsed = args.clone();
    boolean anyPort = false;
    for (int i = 0; i + 1 < parsed.length; i++) {
      if (parsed[i].equals("-port") && parsed[i + 1].equals("0")) {
        parsed[i + 1] = "8000";
        anyPort = true;
      }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(parsed);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        serverConnector.setHost("127.0.0.1");
        if (anyPort) serverConnector.setPort(0);
      }
    }
    proxy.start();
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector serverConnector) {
        System.out.println("Parley: DynamoDB Local listening on port " + serverConnector.getLocalPort());
      }
    }
    System.out.flush();
  }
}
